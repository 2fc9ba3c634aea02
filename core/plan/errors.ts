/** The host holds something in the way that we do not own: we stop rather than take it. */
export class OwnershipConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OwnershipConflict";
  }
}

/** A resource names a bridge the host does not have: it must be created first. */
export class MissingBridgeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MissingBridgeError";
  }
}
