import { z } from "zod";

// Docs and validation cannot drift apart: a kind's documented args (one TSDoc per field)
// and its zod schema's input must have the same fields, at every depth, in both
// directions. `satisfies z.ZodType<Spec, Args>` alone checks types only: a schema field
// missing from the args, or a documented field the schema drops, would pass it.

type Element<T> = T extends readonly (infer E)[] ? E : never;
type Fields<T> = Exclude<keyof T, number | symbol> & string;
type At<Path extends string, K extends string> = Path extends "" ? K : `${Path}.${K}`;

/**
 * Each field present on one side only, as `path: where it is`; never when they agree.
 * Records (`Record<string, string>`) compare by their key type; arrays by their elements.
 */
export type Drift<Args, Input, Path extends string = ""> = [NonNullable<Args>] extends [readonly unknown[]]
  ? Drift<Element<NonNullable<Args>>, Element<NonNullable<Input>>, `${Path}[]`>
  : [NonNullable<Args>] extends [object]
    ? string extends keyof NonNullable<Args>
      ? never
      : | `${At<Path, Exclude<Fields<NonNullable<Input>>, Fields<NonNullable<Args>>>>}: in the schema, not documented`
        | `${At<Path, Exclude<Fields<NonNullable<Args>>, Fields<NonNullable<Input>>>>}: documented, not in the schema`
        | {
            [K in Fields<NonNullable<Args>> & Fields<NonNullable<Input>>]: Drift<
              NonNullable<Args>[K & keyof NonNullable<Args>],
              NonNullable<Input>[K & keyof NonNullable<Input>],
              At<Path, K>
            >;
          }[Fields<NonNullable<Args>> & Fields<NonNullable<Input>>]
    : never;

/** Compiles only when `Problems` is never: `type _ = NoDrift<Drift<BridgeArgs, z.input<typeof bridgeSpec>>>`. */
export type NoDrift<Problems extends never> = Problems;

declare const DOCUMENTED: unique symbol;

/** A schema whose fields were proven equal to its documented args by `documented`. */
export type DocumentedSchema<Spec> = z.ZodType<Spec> & { readonly [DOCUMENTED]: true };

/**
 * `documented<BridgeArgs>()(bridgeSpec)`: the same schema, once its input's fields are
 * exactly the documented ones; otherwise a compile error listing each field that drifted
 * (`Property 'drift' is missing ... { drift: "ports[].mtu: in the schema, not documented" }`).
 */
export function documented<Args>() {
  return <S extends z.ZodType>(
    schema: S & ([Drift<Args, z.input<S>>] extends [never] ? unknown : { drift: Drift<Args, z.input<S>> }),
  ) => schema as unknown as S & DocumentedSchema<z.output<S>>;
}
