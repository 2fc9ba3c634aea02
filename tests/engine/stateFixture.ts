// Old state as a fixture: a `pulumi stack export --show-secrets` of a stack, with the lab
// host's connection (port, host key, private key) replaced by placeholders, so any later
// version can import it against a fresh throwaway host. refresh/destroy run the provider
// code stored in the fixture, not the current one: this is how we keep them working.
import type { LabConnection } from "../../lab";

// Pulumi's marker of a secret value in a deployment (sdk/go/common/resource/sig).
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function mapStrings(value: Json, fn: (s: string, key: string | undefined) => Json, key?: string): Json {
  if (typeof value === "string" || typeof value === "number") return fn(String(value), key) ?? value;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value && typeof value === "object") {
    // Secret plaintext is JSON text inside a string: map inside it too.
    if (value[SECRET_SIG] === SECRET_VALUE && typeof value.plaintext === "string") {
      return { ...value, plaintext: JSON.stringify(mapStrings(JSON.parse(value.plaintext), fn)) };
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn, k)]));
  }
  return value;
}

/** The export with this host's connection replaced by placeholders and no secrets-provider state. */
export function toFixture(exported: any, connection: LabConnection): any {
  const { deployment } = exported;
  delete deployment.secrets_providers; // the importing stack encrypts with its own passphrase
  return {
    ...exported,
    deployment: mapStrings(deployment, (s, key) => {
      // `pulumi config set` from standard input drops the key's final newline.
      if (s.trim() === connection.privateKey.trim()) return "@PRIVATE_KEY@";
      if (s === connection.hostKey) return "@HOST_KEY@";
      // The port as the connection's number, and as the provider's config string `ovslab:port`.
      if (key === "port" && s === String(connection.port)) return "@PORT@";
      if (key === "ovslab:port" && s === String(connection.port)) return "@PORT_TEXT@";
      return null as any;
    }),
  };
}

/**
 * The fixture pointed at `connection`, ready for `stack import` into the stack whose own
 * export is `target` (its secrets provider encrypts the fixture's plaintext secrets).
 */
export function fromFixture(fixture: any, connection: LabConnection, target: any): any {
  return {
    ...fixture,
    deployment: mapStrings({ ...fixture.deployment, secrets_providers: target.deployment.secrets_providers }, (s) => {
      // As the stack's config holds it (see toFixture), or every resource would see a new connection.
      if (s === "@PRIVATE_KEY@") return connection.privateKey.trimEnd();
      if (s === "@HOST_KEY@") return connection.hostKey;
      if (s === "@PORT@") return connection.port;
      if (s === "@PORT_TEXT@") return String(connection.port);
      return null as any;
    }),
  };
}

/** A resource's properties with secrets unwrapped (from a deployment with plaintext secrets). */
export function plaintext(props: Record<string, any>): Record<string, any> {
  const open = (v: any): any =>
    v && typeof v === "object" && v[SECRET_SIG] === SECRET_VALUE ? JSON.parse(v.plaintext) : v;
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, open(v)]));
}
