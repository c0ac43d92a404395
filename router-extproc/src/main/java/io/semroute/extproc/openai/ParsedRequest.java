package io.semroute.extproc.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A validated OpenAI request body.
 *
 * @param body the mutable JSON tree (the rewriter edits it in place)
 * @param model the requested model name
 * @param userTexts the text of each user turn, oldest first (for completions: the prompt(s))
 * @param stream whether the client asked for SSE
 */
public record ParsedRequest(
    RequestKind kind, ObjectNode body, String model, List<String> userTexts, boolean stream) {}
