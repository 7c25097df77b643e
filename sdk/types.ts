/** Type helpers: SDK argument types are derived from the zod input types, with `pulumi.Input` at every level. */
import type * as pulumi from "@pulumi/pulumi";

/** `T` where every value, at any depth, may also be a promise or an Output. */
export type DeepInput<T> = pulumi.Input<
  T extends ReadonlyArray<infer U> ? DeepInput<U>[] : T extends Record<string, unknown> ? { [K in keyof T]: DeepInput<T[K]> } : T
>;

/** The argument type of a field that is optional in the schema. */
export type In<T> = DeepInput<Exclude<T, undefined>>;
