package io.semroute.extproc.ops;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Hostile ext_proc inputs for {@link ExtProcFuzzTest}, drawn from a {@link Random} so jqwik can
 * replay a failing seed: request bodies (wrong types in every field, deep nesting, huge strings,
 * invalid UTF-8, thousands of messages, multi-megabyte prompts, random bytes, truncated JSON) and
 * header sets (random names and values, pseudo-headers, non-UTF-8 raw values, routing headers).
 */
final class HostileInputs {
  /** What a body was built as, for the failure report. */
  record Body(String kind, byte[] bytes) {
    @Override
    public String toString() {
      String head = new String(bytes, 0, Math.min(bytes.length, 160), StandardCharsets.ISO_8859_1);
      return kind + " (" + bytes.length + " bytes): " + head.replaceAll("[^\\x20-\\x7e]", "?");
    }
  }

  static final List<String> FIELDS =
      List.of(
          "model",
          "messages",
          "stream",
          "max_tokens",
          "temperature",
          "top_p",
          "n",
          "stop",
          "tools",
          "tool_choice",
          "reasoning_effort",
          "chat_template_kwargs",
          "prompt",
          "user",
          "stream_options",
          "response_format",
          "logprobs",
          "seed");
  private static final List<String> ROUTING_HEADERS =
      List.of(
          "x-selected-model",
          "x-gateway-destination-endpoint",
          "content-length",
          "content-type",
          "x-request-id",
          "x-user-id",
          "traceparent",
          "x-vsr-selected-model",
          ":authority",
          ":scheme",
          "authorization",
          "accept");

  private HostileInputs() {}

  static Body body(Random r) {
    int k = r.nextInt(100);
    if (k < 22) {
      return new Body("wrong-type field", wrongType(r).getBytes(StandardCharsets.UTF_8));
    } else if (k < 32) {
      return new Body("deep nesting", deepNesting(r));
    } else if (k < 42) {
      return new Body("invalid utf-8", invalidUtf8(r));
    } else if (k < 50) {
      return new Body("many chat messages", manyMessages(r));
    } else if (k < 54) {
      return new Body("multi-megabyte prompt", hugePrompt(r, 1 + r.nextInt(6)));
    } else if (k < 62) {
      return new Body("long strings", longStrings(r));
    } else if (k < 72) {
      return new Body("random bytes", randomBytes(r, r.nextInt(4096)));
    } else if (k < 82) {
      byte[] valid = chat(r).getBytes(StandardCharsets.UTF_8);
      int cut = valid.length == 0 ? 0 : r.nextInt(valid.length);
      return new Body("truncated", Arrays.copyOf(valid, cut));
    } else if (k < 92) {
      return new Body("random json", randomJson(r, 0).getBytes(StandardCharsets.UTF_8));
    }
    return new Body("odd but valid", oddValid(r).getBytes(StandardCharsets.UTF_8));
  }

  /** A plausible chat or completions body. */
  static String chat(Random r) {
    String model = pick(r, "auto", "qwen3-8b", "llama-3.1-8b-instruct", "gpt-nope", "", "AUTO");
    if (r.nextInt(5) == 0) {
      return "{\"model\":" + quote(model) + ",\"prompt\":" + quote(text(r, 60)) + "}";
    }
    return "{\"model\":"
        + quote(model)
        + ",\"messages\":[{\"role\":\"user\",\"content\":"
        + quote(text(r, 80))
        + "}]"
        + (r.nextBoolean() ? ",\"stream\":true" : "")
        + "}";
  }

  /**
   * A chat body where one field (top level, in a message, or in a content part) has a wrong type.
   */
  static String wrongType(Random r) {
    String bad = wrongValue(r);
    return switch (r.nextInt(6)) {
      case 0 ->
          "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"derivative of x\"}],"
              + quote(pick(r, FIELDS.toArray(String[]::new)))
              + ":"
              + bad
              + "}";
      case 1 -> "{\"model\":" + bad + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      case 2 -> "{\"model\":\"auto\",\"messages\":" + bad + "}";
      case 3 -> "{\"model\":\"auto\",\"messages\":[" + bad + "]}";
      case 4 ->
          "{\"model\":\"auto\",\"messages\":[{\"role\":"
              + (r.nextBoolean() ? bad : "\"user\"")
              + ",\"content\":"
              + (r.nextBoolean() ? bad : "\"x\"")
              + "}]}";
      default ->
          "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
              + (r.nextBoolean() ? bad : "\"text\"")
              + ",\"text\":"
              + bad
              + "},"
              + bad
              + "]}]}";
    };
  }

  static String wrongValue(Random r) {
    return switch (r.nextInt(16)) {
      case 0 -> "null";
      case 1 -> "true";
      case 2 -> Long.toString(r.nextLong());
      case 3 -> "1e999";
      case 4 -> "-0.0";
      case 5 -> "123456789012345678901234567890123456789012345678901234567890";
      case 6 -> "[]";
      case 7 -> "{}";
      case 8 -> "[" + quote(text(r, 10)) + ",1,null]";
      case 9 -> "{\"text\":1,\"type\":{\"a\":[]}}";
      case 10 -> "\"\"";
      case 11 -> quote("\u0000\ud83d\ude00" + text(r, 5));
      case 12 -> "\"\\ud800\\udc00\\ud800\""; // an unpaired surrogate escape
      case 13 -> "NaN";
      case 14 -> "\"" + "x".repeat(r.nextInt(70_000)) + "\"";
      default -> randomJson(r, 2);
    };
  }

  static byte[] deepNesting(Random r) {
    int depth = 1 + r.nextInt(r.nextBoolean() ? 200 : 200_000);
    String open = pick(r, "[", "{\"a\":", "{\"content\":");
    String close = open.equals("[") ? "]" : "}";
    StringBuilder inner = new StringBuilder(depth * (open.length() + 1));
    inner
        .append(open.repeat(depth))
        .append("1")
        .append(close.repeat(r.nextInt(4) == 0 ? depth / 2 : depth));
    return switch (r.nextInt(3)) {
      case 0 -> inner.toString().getBytes(StandardCharsets.UTF_8);
      case 1 ->
          ("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":" + inner + "}]}")
              .getBytes(StandardCharsets.UTF_8);
      default ->
          ("{\"model\":\"auto\",\"messages\":" + inner + "}").getBytes(StandardCharsets.UTF_8);
    };
  }

  static byte[] invalidUtf8(Random r) {
    byte[][] bad = {
      {(byte) 0xff},
      {(byte) 0xc3, 0x28},
      {(byte) 0xc0, (byte) 0xaf},
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      {(byte) 0xe2, (byte) 0x82},
      {(byte) 0x80},
      {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
      {(byte) 0xfe, (byte) 0xff}
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String before = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"";
    String after = "\"}]}";
    int where = r.nextInt(4);
    if (where == 0) {
      out.writeBytes(bad[r.nextInt(bad.length)]); // before the JSON (a BOM, a stray byte)
    }
    out.writeBytes(
        before
            .substring(0, where == 1 ? r.nextInt(before.length()) : before.length())
            .getBytes(StandardCharsets.UTF_8));
    int n = 1 + r.nextInt(20);
    for (int i = 0; i < n; i++) {
      out.writeBytes(text(r, 6).getBytes(StandardCharsets.UTF_8));
      out.writeBytes(bad[r.nextInt(bad.length)]);
    }
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    if (where == 3) {
      out.writeBytes(bad[r.nextInt(bad.length)]);
    }
    return out.toByteArray();
  }

  static byte[] manyMessages(Random r) {
    int n = 1000 + r.nextInt(20_000);
    StringBuilder b = new StringBuilder("{\"model\":\"auto\",\"messages\":[");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(',');
      }
      String role =
          i % 7 == 0 ? pick(r, "system", "assistant", "tool", "developer", "wizard") : "user";
      b.append("{\"role\":\"")
          .append(role)
          .append("\",\"content\":")
          .append(
              r.nextInt(50) == 0
                  ? wrongValue(r)
                  : quote(pick(r, "derivative", "thanks", "photosynthesis", "ok", "")))
          .append('}');
    }
    return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] hugePrompt(Random r, int megabytes) {
    String unit =
        pick(
            r,
            "lorem ipsum dolor ",
            "prime number ",
            "\u00e9\u4e2d\ud83d\ude00 ",
            "a",
            "\\n\\t\\\" ");
    int repeat = megabytes * 1024 * 1024 / unit.length();
    String prompt = unit.repeat(repeat);
    String json =
        r.nextBoolean()
            ? "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + prompt
                + "\"}]}"
            : "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\""
                + prompt
                + "\"},{\"type\":\"text\",\"text\":\"integral\"}]}]}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] longStrings(Random r) {
    int len = 10_000 + r.nextInt(300_000);
    String s = "x".repeat(len);
    return switch (r.nextInt(4)) {
      case 0 ->
          ("{\"model\":\"" + s + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
              .getBytes(StandardCharsets.UTF_8);
      case 1 ->
          ("{\"model\":\"auto\",\"messages\":[{\"role\":\"" + s + "\",\"content\":\"hi\"}]}")
              .getBytes(StandardCharsets.UTF_8);
      case 2 ->
          ("{\""
                  + s
                  + "\":1,\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
              .getBytes(StandardCharsets.UTF_8);
      default ->
          ("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\""
                  + "\\u00e9".repeat(len / 6)
                  + "\"}],\"n\":"
                  + "9".repeat(5000)
                  + "}")
              .getBytes(StandardCharsets.UTF_8);
    };
  }

  static String oddValid(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> "\ufeff" + chat(r); // a BOM
      case 1 ->
          "{\"model\":\"auto\",\"model\":\"qwen3-8b\",\"messages\":[{\"role\":\"user\",\"content\":\"integral\"}]}";
      case 2 -> chat(r) + " trailing garbage";
      case 3 -> "  \n\t" + chat(r) + "\n";
      case 4 -> "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":[]}]}";
      default -> "{\"model\":\"auto\",\"messages\":[]}";
    };
  }

  static String randomJson(Random r, int depth) {
    int k = depth > 4 ? r.nextInt(5) : r.nextInt(7);
    return switch (k) {
      case 0 -> "null";
      case 1 -> Boolean.toString(r.nextBoolean());
      case 2 ->
          r.nextBoolean()
              ? Integer.toString(r.nextInt())
              : Double.toString(r.nextGaussian() * 1e300);
      case 3, 4 -> quote(text(r, 20));
      case 5 -> {
        StringBuilder b = new StringBuilder("[");
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          b.append(i > 0 ? "," : "").append(randomJson(r, depth + 1));
        }
        yield b.append(']').toString();
      }
      default -> {
        StringBuilder b = new StringBuilder("{");
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          String key = r.nextInt(3) == 0 ? pick(r, FIELDS.toArray(String[]::new)) : text(r, 8);
          b.append(i > 0 ? "," : "")
              .append(quote(key))
              .append(':')
              .append(randomJson(r, depth + 1));
        }
        yield b.append('}').toString();
      }
    };
  }

  static byte[] randomBytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  /** Random request headers: the given method and path, then 0..30 random or routing headers. */
  static HeaderMap headers(Random r, String method, String path) {
    HeaderMap.Builder b = HeaderMap.newBuilder();
    if (method != null) {
      b.addHeaders(header(":method", method));
    }
    if (path != null) {
      b.addHeaders(header(":path", path));
    }
    int n = r.nextInt(30);
    for (int i = 0; i < n; i++) {
      String name =
          r.nextBoolean()
              ? pick(r, ROUTING_HEADERS.toArray(String[]::new))
              : pick(
                  r,
                  "",
                  ":path",
                  ":method",
                  ":status",
                  "X-Selected-Model",
                  "x-" + text(r, 12),
                  text(r, 3));
      HeaderValue.Builder h = HeaderValue.newBuilder().setKey(name);
      switch (r.nextInt(5)) {
        case 0 -> h.setValue(text(r, 40));
        case 1 -> h.setRawValue(ByteString.copyFrom(randomBytes(r, r.nextInt(64))));
        case 2 -> h.setRawValue(ByteString.copyFromUtf8("x".repeat(r.nextInt(100_000))));
        case 3 ->
            h.setValue(
                pick(
                    r,
                    "qwen3-8b",
                    "-1",
                    "99999999999999999999",
                    "application/json",
                    "text/event-stream",
                    ""));
        default -> h.setRawValue(ByteString.copyFromUtf8(text(r, 20))).setValue(text(r, 5));
      }
      b.addHeaders(h);
    }
    return b.build();
  }

  static HeaderValue header(String k, String v) {
    return HeaderValue.newBuilder().setKey(k).setRawValue(ByteString.copyFromUtf8(v)).build();
  }

  static String text(Random r, int max) {
    int n = r.nextInt(max + 1);
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(20);
      if (k == 0) {
        b.appendCodePoint(r.nextInt(0x20)); // control characters
      } else if (k == 1) {
        b.appendCodePoint(0x80 + r.nextInt(0xd000)); // BMP, mixed scripts
      } else if (k == 2) {
        b.appendCodePoint(0x1f600 + r.nextInt(80)); // astral
      } else if (k == 3) {
        b.append(pick(r, "\"", "\\", "{", "}", "[", "]", ":", ","));
      } else {
        b.append((char) ('a' + r.nextInt(26)));
      }
    }
    return b.toString();
  }

  static String quote(String s) {
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
  }

  @SafeVarargs
  static <T> T pick(Random r, T... options) {
    return options[r.nextInt(options.length)];
  }
}
