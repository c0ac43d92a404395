package io.semroute.extproc.api;

/** One row of the API's route table. */
record ApiRoute(String method, String path, AuthPolicy auth, ApiHandler handler) {
  static ApiRoute get(String path, AuthPolicy auth, ApiHandler handler) {
    return new ApiRoute("GET", path, auth, handler);
  }

  static ApiRoute post(String path, AuthPolicy auth, ApiHandler handler) {
    return new ApiRoute("POST", path, auth, handler);
  }
}
