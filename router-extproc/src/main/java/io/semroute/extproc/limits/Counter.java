package io.semroute.extproc.limits;

/**
 * One budget in one window, as a store sees it.
 *
 * @param key the counter's key (the store adds its own prefix)
 * @param limit what the window allows
 * @param cost what this request adds when admitted
 * @param ttlMillis how long the counter must live from now (the rest of its window)
 */
record Counter(String key, long limit, long cost, long ttlMillis) {}
