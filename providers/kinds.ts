// The resource kinds ovslab manages. Kept apart from the registry so the SDK can name a
// kind without loading any provider code.
export const KINDS = ["bridge", "patchPair", "flowRule", "flowTable", "routerNamespace"] as const;
export type Kind = (typeof KINDS)[number];

/** Methods the serialized provider forwards; the entry point's whole, stable surface. */
export type Method = "check" | "diff" | "create" | "read" | "update" | "delete";
