package io.semroute.config;

/**
 * {@code models.<name>.limits}: what one model may take across every tenant, so it sheds load
 * instead of queueing. A value of 0 means that quantity is not limited.
 *
 * @param requestsPerMinute requests per calendar minute
 * @param tokensPerMinute prompt plus completion tokens per calendar minute
 * @param maxConcurrent requests in flight at once on this router replica
 */
public record ModelLimits(long requestsPerMinute, long tokensPerMinute, int maxConcurrent) {
  public static final ModelLimits NONE = new ModelLimits(0, 0, 0);

  public boolean limited() {
    return requestsPerMinute > 0 || tokensPerMinute > 0 || maxConcurrent > 0;
  }
}
