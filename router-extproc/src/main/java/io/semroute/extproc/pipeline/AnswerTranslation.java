package io.semroute.extproc.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.ClientApi;
import io.semroute.extproc.clientapi.StreamTranslator;
import io.semroute.extproc.clientapi.UnreadableAnswerException;
import io.semroute.extproc.messages.ChatToMessage;
import io.semroute.extproc.messages.ChatToMessagesStream;
import io.semroute.extproc.messages.MessagesErrors;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.openai.OpenAiErrors;
import io.semroute.extproc.responses.ChatToResponse;
import io.semroute.extproc.responses.ChatToResponsesStream;
import io.semroute.extproc.responses.ResponsesErrors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A Chat Completions answer turned back into the client's API as it passes: an SSE stream event by
 * event (STREAMED, one translator per stream, each chunk replaced), a JSON answer whole (BUFFERED),
 * an error status's body as that API's error. One per response; not thread-safe.
 */
public final class AnswerTranslation {
  private final ClientApi api;
  private final ObjectNode clientBody;
  private final int status;
  private final StreamTranslator stream;
  private final ChatToResponsesStream responsesStream;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private ObjectNode response;

  /**
   * @param api the client's API (Messages or Responses)
   * @param clientBody the client's request (a Responses answer echoes its settings)
   * @param status the backend's HTTP status
   * @param sse whether the backend answers with an event stream
   */
  public AnswerTranslation(ClientApi api, ObjectNode clientBody, int status, boolean sse) {
    this.api = api;
    this.clientBody = clientBody;
    this.status = status;
    boolean streamed = sse && status == 200;
    if (streamed && api == ClientApi.RESPONSES) {
      responsesStream = new ChatToResponsesStream(clientBody);
      stream = responsesStream;
    } else {
      responsesStream = null;
      stream = streamed ? new ChatToMessagesStream() : null;
    }
  }

  /**
   * @return the bytes to send instead of {@code chunk}
   */
  public byte[] accept(byte[] chunk, boolean endOfStream) {
    if (stream != null) {
      return stream.accept(chunk, endOfStream);
    }
    buffer.write(chunk, 0, chunk.length);
    if (!endOfStream) {
      return new byte[0];
    }
    byte[] whole = buffer.toByteArray();
    if (status != 200) {
      return api == ClientApi.MESSAGES
          ? MessagesErrors.fromChatError(status, whole)
          : ResponsesErrors.fromChatError(status, whole);
    }
    try {
      if (api == ClientApi.MESSAGES) {
        return ChatToMessage.translate(whole);
      }
      byte[] out = ChatToResponse.translate(clientBody, whole);
      response = (ObjectNode) Json.MAPPER.readTree(out);
      return out;
    } catch (UnreadableAnswerException | IOException e) {
      String message = "the backend's answer could not be translated: " + e.getMessage();
      return api == ClientApi.MESSAGES
          ? MessagesErrors.json(502, message)
          : OpenAiErrors.body(message, "server_error", null, "bad_upstream_answer");
    }
  }

  /**
   * The Responses object the client got (JSON, or what the stream's last event carried), or null
   * (Messages, an error, or before the answer ended).
   */
  public ObjectNode response() {
    return responsesStream != null ? responsesStream.response() : response;
  }
}
