/**
 * Where a ZStack management node listens unless told otherwise. A leaf module (it imports nothing of the package):
 * the provider's settings fall back to these values, and the simulator listens at them by default.
 */

/** The default scheme: a management node serves plain HTTP unless TLS is set up in front of it. */
export const DEFAULT_SCHEME = "http";
/** The default ZStack REST port. */
export const DEFAULT_PORT = 8080;
/** The default context path, the first segment of every API path (`/zstack/v1/...`). */
export const DEFAULT_CONTEXT_PATH = "zstack";
