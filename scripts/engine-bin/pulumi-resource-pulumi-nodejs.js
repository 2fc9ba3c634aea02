// @ts-check
// The dynamic-provider plugin as @pulumi/pulumi ships it (its cmd/dynamic-provider script,
// resolved from the working directory: the project's own SDK), with one answer of ours:
// `pulumi import` of a dynamic resource. Why: the engine then asks the plugin to read a
// resource it sends no properties for, and the SDK's read handler dereferences them
// ("Cannot read properties of undefined (reading 'toJavaScript')", with a stack trace).
// A dynamic resource's provider travels in its properties (`__provider`), so no code of
// ovslab can run for an import: this plugin refuses it in words instead.
//
// Plain JavaScript on purpose: it must run before (and without) the project's build.
"use strict";

const path = require("node:path");

const script = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [process.cwd()] });
// The same grpc-js instance the script will load, so that its server is the one patched.
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [path.dirname(script)] }));

/** The refusal of an import, naming the resource (its type and name are the URN's last part). */
function importRefused(urn) {
  const [type, name] = String(urn).split("::").slice(-2);
  const ours = /^pulumi-nodejs:dynamic\/ovslab:/.test(type);
  const what = ours ? `ovslab ${type.split(":").pop()} "${name}"` : `dynamic resource ${type} "${name}"`;
  const error = new Error(
    `${what} cannot be imported with \`pulumi import\`: a dynamic resource's provider travels in its ` +
      "properties, which an import does not have." +
      (ours
        ? " Declare it in the program instead, with the argument `adopt: true` to take over what is already " +
          "on the host; `npx ovslab adopt --host ...` writes that program from what the host holds."
        : ""),
  );
  error.stack = undefined; // a refusal, not a crash: no stack trace
  return error;
}

const addService = grpc.Server.prototype.addService;
grpc.Server.prototype.addService = function (service, implementation) {
  if (service && service.read && implementation && typeof implementation.read === "function") {
    const read = implementation.read;
    // Bound by grpc-js to this object: its other methods (and `this.config`) are the original's.
    implementation = Object.assign(Object.create(implementation), {
      read(call, callback) {
        if (call.request.getProperties() === undefined) return callback(importRefused(call.request.getUrn()));
        return read.call(this, call, callback);
      },
    });
  }
  return addService.call(this, service, implementation);
};

/**
 * `typescript` as a module that loads on first use. @pulumi/pulumi requires it when loaded
 * (through its typescript-shim, for serializing closures: what a program does, not this
 * plugin, which only runs providers), and it costs ~40 MiB of this process's memory.
 */
function lazyTypeScript() {
  const Module = require("node:module");
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    if (request !== "typescript" || !/typescript-shim\.js$/.test(parent?.filename ?? "")) return load.apply(this, arguments);
    let real;
    const ts = () => (real ??= load.call(this, request, parent, isMain));
    return new Proxy(
      {},
      {
        get: (_, key) => ts()[key],
        has: (_, key) => key in ts(),
        ownKeys: () => Reflect.ownKeys(ts()),
        getOwnPropertyDescriptor: (_, key) => {
          const found = Object.getOwnPropertyDescriptor(ts(), key);
          return found && { ...found, configurable: true };
        },
      },
    );
  };
}

lazyTypeScript();
process.argv.splice(1, 1, script); // as if run as `node SCRIPT ARGS...` (providers/read.ts looks at argv[1])
require(script);
