// The Pulumi SDK of the program that uses ovslab, not necessarily the copy beside ovslab.
// Why: the SDK keeps its engine connection, config and mocks in module globals, so a
// resource registered through a second copy never reaches the engine ("Cannot find module",
// "Request message serialization failure"). npm installs `npm install ../ovslab` (a
// directory) as a symlink whose own node_modules hold ovslab's development copy; resolving
// from the program's directory (the engine's and mocha's working directory) finds the one
// the program itself imports. Installed from a tarball, both resolve to the same copy.
import type * as Pulumi from "@pulumi/pulumi";

/** The file `id` (`@pulumi/pulumi` or one of its modules) resolves to for the program. */
export function resolveSdk(id: string, from: string = process.cwd()): string {
  try {
    return require.resolve(id, { paths: [from] });
  } catch {
    return require.resolve(id); // a program outside any project (ovslab's own tests)
  }
}

/** Loads `@pulumi/pulumi` or one of its internal modules from the program's copy. */
export function sdkModule<T>(id: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolveSdk(id)) as T;
}

export const pulumi: typeof Pulumi = sdkModule("@pulumi/pulumi");
