package io.semroute.config;

/**
 * PII detection ({@code classifier.pii}). Today detected types are only noticed (headers and a
 * log line without the values); a per-model block/redact policy will extend this record.
 *
 * @param enabled when false nothing is scanned
 * @param model token classifier for names, addresses...; null means the deterministic
 *     recognizers alone (credit cards, e-mail, phone, IBAN, IP, SSN, URLs)
 */
public record PiiSettings(boolean enabled, ModelPath model) {
  public static final PiiSettings OFF = new PiiSettings(false, null);
}
