/** The host holds something in the way that we do not own: we stop rather than take it. */
export class OwnershipConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OwnershipConflict";
  }
}
