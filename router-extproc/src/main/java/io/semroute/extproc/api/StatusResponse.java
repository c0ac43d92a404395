package io.semroute.extproc.api;

/** {@code GET /health} and {@code GET /ready}: {@code {"status": "healthy" | "starting" | ...}}. */
record StatusResponse(String status) {}
