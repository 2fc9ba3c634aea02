// Pulumi mocks for the SDK tests: they stand in for the engine (the provider is never
// called), so a test sees what a component registers, as a user's unit test would.
import * as pulumi from "@pulumi/pulumi";

/**
 * Sets mocks in a `before()` of the calling describe (not at load: mocha loads every test
 * file first, and the last setMocks would win for all) and returns the list that every
 * registered resource is appended to.
 */
export function recordRegistrations(): pulumi.runtime.MockResourceArgs[] {
  const registered: pulumi.runtime.MockResourceArgs[] = [];
  before(() =>
    pulumi.runtime.setMocks(
      {
        newResource: (args) => (registered.push(args), { id: `${args.name}-id`, state: args.inputs }),
        call: (args) => args.inputs,
      },
      "lab",
      "dev",
    ),
  );
  return registered;
}

/** The value of an Output, once known. */
export const outputOf = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
