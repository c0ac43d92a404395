package io.semroute.extproc.clientapi;

/**
 * What a Chat Completions SSE stream says, event by event, as {@link ChatStreamDecoder} reads it
 * (choice 0 only). Calls come in stream order; {@link #end} or {@link #error} comes last, once.
 */
public interface ChatStreamHandler {
  /** The first chunk: its {@code id}, {@code model} and {@code created}. */
  void start(String id, String model, long created);

  /** A piece of reasoning text (vLLM's {@code reasoning} or {@code reasoning_content}). */
  void reasoning(String delta);

  /** A piece of answer text. */
  void text(String delta);

  /** A tool call begins: its position in {@code tool_calls}, its id and function name. */
  void toolCallStart(int index, String id, String name);

  /** A piece of a tool call's JSON arguments. */
  void toolCallArguments(int index, String delta);

  /**
   * @param finishReason {@code finish_reason}
   * @param stopSequence vLLM's {@code stop_reason} when it is the stop string that matched, else
   *     null
   */
  void finish(String finishReason, String stopSequence);

  void usage(ChatUsage usage);

  /**
   * The stream is over.
   *
   * @param complete false when it ended without {@code [DONE]} and without a finish reason (cut)
   */
  void end(boolean complete);

  /** The backend reported an error in the stream, or sent an event that is not JSON. */
  void error(String message);
}
