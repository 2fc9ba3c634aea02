// What went wrong with a lab program, as one message per problem: an invalid spec (the
// same text `pulumi up` shows from the provider's check), a bridge nothing declares, a
// program that threw. The CLI prints `problems` one per line, never a stack trace.

export class LabError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1 ? problems[0] : `${problems.length} problems:\n` + problems.map((p) => `  ${p}`).join("\n"),
    );
    this.name = "LabError";
  }
}
