// What every ovslab resource shares: the connection input, the owner mark, validation up
// front when the arguments are plain values, and the dynamic provider of its kind.
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { validate, ValidationError } from "../core/validation";
import { ConnectionArgs } from "../transport/connection";
import { providerText } from "../providers/dynamic";
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

/**
 * The error with its message fixed: the SDK prefixes the message of an input that failed
 * in place ('error serializing property "a": ...'), and this error is the refused
 * resource's own, whichever resource built on it reports it first.
 */
function keepMessage<E extends Error>(error: E): E {
  const message = error.message;
  Object.defineProperty(error, "message", { get: () => message, set: () => undefined, configurable: true });
  return error;
}

/**
 * What a resource refused at its declaration stands for: it is never registered. Its
 * outputs fail with its own error, so whatever was built on them (a PatchPair on its
 * bridge's name) is not registered either, and the language host reports that error once
 * (it reports each error object once) and fails the run when the program ends.
 */
function notRegistered(prototype: object, error: Error, schema: z.ZodType): OvslabResource {
  const failed = Promise.reject(error);
  // The SDK's marks of a (custom) resource, so `dependsOn: [it]` waits on its failing urn.
  const standIn = Object.assign(Object.create(prototype), { __pulumiResource: true, __pulumiCustomResource: true });
  for (const key of [...Object.keys(fieldsOf(schema)), "urn", "id", "connection", "owner"]) {
    standIn[key] = sdk.output(failed);
  }
  return standIn as unknown as OvslabResource;
}

/**
 * A plain spec's problems, found where it was declared; a FlowTable's flowsFile is read and its
 * rules checked now too (the digest returned is what the engine gets instead of the rules).
 */
function checkDeclared(
  type: string,
  name: string,
  spec: Record<string, unknown>,
  schema: z.ZodType,
): { error?: ValidationError; sha256?: string } {
  let loaded: ReturnType<typeof withFlowsFile>;
  try {
    loaded = withFlowsFile(spec);
  } catch (caught) {
    if (!(caught instanceof FlowsFileError)) throw caught;
    return { error: new ValidationError(`${type} "${name}"`, [{ path: "flowsFile", rule: caught.rule }]) };
  }
  const { spec: full, from } = loaded;
  const checked = validate(schema, full, { values: true });
  if (checked.ok) return { sha256: from?.sha256 };
  const subject = `${type} "${name}"${from ? ` (flowsFile ${JSON.stringify(from.file)})` : ""}`;
  return { error: new ValidationError(subject, checked.problems) };
}

// A dynamic resource as `pulumi.dynamic.Resource` registers one (its type, and its provider
// code in `__provider`), with that code written by providers/dynamic.ts.
export abstract class OvslabResource extends sdk.CustomResource {
  constructor(
    kind: KindDefinition<any, any, Kind>,
    name: string,
    spec: Record<string, unknown>,
    args: HostArgs,
    opts?: pulumi.CustomResourceOptions,
  ) {
    // Checked at the line that declared it, before the engine or any host is involved.
    const { key, title: type, schema } = kind;
    const declared = isPlain(spec) ? checkDeclared(type, name, spec, schema) : {};
    if (declared.error) {
      const error = keepMessage(declared.error);
      // The SDK's mark of an error that is the user's to fix: printed once, without a stack.
      Object.defineProperty(error, "__pulumiRunError", { value: true });
      // Under mocks (tests, loadLab) and outside any engine: thrown where it was declared.
      if (sdk.runtime.getEngine() === undefined) throw error;
      // Under the engine: reported, and the program goes on, so that one run names the
      // mistakes of every resource (one bad value shared by three resources names all three).
      return notRegistered(new.target.prototype, error, schema);
    }
    // Rules given as a file (a FlowTable's flowsFile): the engine gets only the file and its digest.
    if (declared.sha256) spec = { ...spec, flowsSha256: declared.sha256 };
    // Pulumi names are unique per type only, so the type is part of the mark: a Bridge
    // "x" and a PatchPair "x" must never take each other's ports for their own.
    const owner = `${sdk.getProject()}/${sdk.getStack()}/${type}/${name}`;
    super(
      `pulumi-nodejs:dynamic/ovslab:${type}`,
      name,
      // Pulumi creates output properties only for the keys passed here: list every field,
      // so `bridge.failMode` carries the default the provider filled in.
      // The connection is a secret even when the program passes its key as a plain
      // value: the engine then encrypts it in state (inputs and outputs) and logs.
      { ...fieldsOf(schema), ...spec, connection: sdk.secret(args.connection), owner, __provider: providerText(key) },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connection"] },
    );
  }
}
