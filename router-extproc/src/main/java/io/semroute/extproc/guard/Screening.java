package io.semroute.extproc.guard;

/**
 * What the guards said about one request.
 *
 * @param jailbreak the jailbreak verdict ({@link JailbreakVerdict#NOT_CHECKED} when off)
 * @param guardUnavailable the jailbreak guard is configured but could not answer
 * @param pii detected PII types ({@link PiiFindings#NONE} when off or nothing found)
 */
public record Screening(JailbreakVerdict jailbreak, boolean guardUnavailable, PiiFindings pii) {}
