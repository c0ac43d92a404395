package io.semroute.extproc.session;

/**
 * The model a conversation is held to, and how it was asked.
 *
 * @param model the configured model
 * @param reasoning whether reasoning was on
 * @param effort the reasoning effort when on, else null
 * @param backend the backend address that answered ({@code host:port}) when it matters (it holds a
 *     stored response), else null
 */
public record Pin(String model, boolean reasoning, String effort, String backend) {}
