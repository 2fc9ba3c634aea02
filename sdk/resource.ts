// What every ovslab resource shares: the connection input, the owner mark, validation up
// front when the arguments are plain values, and the dynamic provider of its kind.
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { parseOrThrow, ValidationError } from "../core/validation";
import { ConnectionArgs } from "../transport/connection";
import { dynamicProvider } from "../providers/dynamic";
import { FlowsFileError, withFlowsFile } from "../providers/flowsFile";
import type { KindDefinition } from "../core/kinds/kind";
import type { Kind } from "../core/kinds";
import { pulumi as sdk } from "./pulumiSdk";

/** A value, or any part of it (an element, a field), may be a plain value or a Pulumi Input. */
export type Input<T> = T extends string | number | boolean | null | undefined
  ? pulumi.Input<T>
  : T extends readonly (infer E)[]
    ? pulumi.Input<Input<E>[]>
    : pulumi.Input<{ [K in keyof T]: Input<T[K]> }>;

/** Each field (and each part of it) may be a plain value or a Pulumi Input; the fields' docs carry over. */
export type Inputs<T> = { [K in keyof T]: Input<T[K]> };

/** `T` with `name` optional: a component names its bridge or namespace after the resource by default. */
export type NamedByDefault<T extends { name: unknown }> = Omit<T, "name"> & Partial<Pick<T, "name">>;

/** How every resource reaches its host: @pulumi/command's `remote.ConnectionArgs`, plus host key settings. */
export interface HostArgs {
  /** The SSH connection. Its secrets (privateKey, password) stay secret in state. */
  connection: pulumi.Input<Inputs<ConnectionArgs>>;
}

/** Whether a value holds no Output or Promise anywhere (so it can be checked now). */
function isPlain(value: unknown): boolean {
  if (sdk.Output.isInstance(value) || value instanceof Promise) return false;
  if (Array.isArray(value)) return value.every(isPlain);
  if (value && typeof value === "object") return Object.values(value).every(isPlain);
  return true;
}

/** Every field a kind's schema knows, so each becomes an output even when left out. */
function fieldsOf(schema: z.ZodType): Record<string, undefined> {
  // A schema that fills defaults by transform is a pipe whose input is the object.
  const object = schema instanceof z.ZodPipe ? schema.in : schema;
  if (!(object instanceof z.ZodObject)) throw new Error("ovslab: a resource schema must be a zod object");
  return Object.fromEntries(Object.keys(object.shape).map((key) => [key, undefined]));
}

export abstract class OvslabResource extends sdk.dynamic.Resource {
  constructor(
    kind: KindDefinition<any, any, Kind>,
    name: string,
    spec: Record<string, unknown>,
    args: HostArgs,
    opts?: pulumi.CustomResourceOptions,
  ) {
    // Fail at the line that declared it, before the engine or any host is involved.
    const { key, title: type, schema } = kind;
    if (isPlain(spec)) {
      try {
        // Rules given as a file (a FlowTable's flowsFile) are read and checked now too; the
        // engine gets only the file and its digest.
        const { spec: full, from } = withFlowsFile(spec);
        parseOrThrow(schema, full, `${type} "${name}"${from ? ` (flowsFile ${JSON.stringify(from.file)})` : ""}`);
        if (from) spec = { ...spec, flowsSha256: from.sha256 };
      } catch (caught) {
        const error =
          caught instanceof FlowsFileError
            ? new ValidationError(`${type} "${name}"`, [{ path: "flowsFile", rule: caught.rule }])
            : caught;
        // The SDK's mark of an error that is the user's to fix: printed once, without a stack.
        Object.defineProperty(error, "__pulumiRunError", { value: true });
        throw error;
      }
    }
    // Pulumi names are unique per type only, so the type is part of the mark: a Bridge
    // "x" and a PatchPair "x" must never take each other's ports for their own.
    const owner = `${sdk.getProject()}/${sdk.getStack()}/${type}/${name}`;
    super(
      dynamicProvider(key),
      name,
      // Pulumi creates output properties only for the keys passed here: list every field,
      // so `bridge.failMode` carries the default the provider filled in.
      // The connection is a secret even when the program passes its key as a plain
      // value: the engine then encrypts it in state (inputs and outputs) and logs.
      { ...fieldsOf(schema), ...spec, connection: sdk.secret(args.connection), owner },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connection"] },
      "ovslab",
      type,
    );
  }
}
