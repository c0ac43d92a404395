package io.semroute.classifier.onnx;

import java.nio.charset.StandardCharsets;

/**
 * Minimal protobuf wire-format cursor over a byte array: just what reading ONNX initializers and
 * node names needs (varints, length-delimited fields, fixed32/64 skipping). Hand-written because
 * the handful of fields used does not justify generating all of onnx.proto.
 */
final class ProtoReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  private final byte[] buf;
  private int pos;
  private final int limit;
  private int tag;

  ProtoReader(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.limit = offset + length;
  }

  /** Advances to the next field; false at the end of this message. */
  boolean next() {
    if (pos >= limit) {
      return false;
    }
    tag = (int) varint();
    return true;
  }

  int field() {
    return tag >>> 3;
  }

  int wireType() {
    return tag & 7;
  }

  long varint() {
    long result = 0;
    int shift = 0;
    while (true) {
      if (pos >= limit) {
        throw new IllegalStateException("truncated varint at " + pos);
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
      shift += 7;
      if (shift > 63) {
        throw new IllegalStateException("malformed varint at " + pos);
      }
    }
  }

  /** Start offset of a length-delimited payload; call {@link #skipTo} or read inside it. */
  int[] lengthDelimited() {
    int len = (int) varint();
    if (len < 0 || pos + len > limit) {
      throw new IllegalStateException("field length " + len + " overruns message at " + pos);
    }
    int start = pos;
    pos += len;
    return new int[] {start, len};
  }

  String string() {
    int[] r = lengthDelimited();
    return new String(buf, r[0], r[1], StandardCharsets.UTF_8);
  }

  ProtoReader message() {
    int[] r = lengthDelimited();
    return new ProtoReader(buf, r[0], r[1]);
  }

  void skip() {
    switch (wireType()) {
      case VARINT -> varint();
      case FIXED64 -> pos += 8;
      case LEN -> lengthDelimited();
      case FIXED32 -> pos += 4;
      default ->
          throw new IllegalStateException("unsupported wire type " + wireType() + " at " + pos);
    }
  }

  boolean hasMore() {
    return pos < limit;
  }

  byte[] buffer() {
    return buf;
  }
}
