// @ts-check
// A thin `pulumi-language-nodejs`: serves the engine's LanguageRuntime with the SDK's own
// in-process LanguageServer (the one the Automation API uses for inline programs), running
// the project's entry point as the program. Why it exists: the official host is a separate
// Go module that the Go module proxy does not serve (REFERENCE.md, "The Pulumi engine on
// these machines"). It covers what up/preview/refresh/destroy need; `pulumi install` and
// `pulumi convert` are not served.
//
// Plain JavaScript on purpose: it must run before (and without) the project's build.
"use strict";

const path = require("node:path");

/** The engine's address: the last argument that is not a flag (`--tracing URL` comes before it). */
function engineAddressFrom(argv) {
  const positional = argv.filter((a) => !a.startsWith("-"));
  const address = positional[positional.length - 1];
  if (!address) throw new Error("pulumi-language-nodejs: no engine address among the arguments");
  return address;
}

/** Loads a module the way the project itself would: from its directory, with its own SDK. */
function requireFrom(dir, id) {
  return require(require.resolve(id, { paths: [dir] }));
}

// TypeScript module kinds whose output `require` can load (ts.ModuleKind CommonJS, Node16, NodeNext).
const REQUIRABLE_MODULE_KINDS = new Set([1, 100, 199]);

/**
 * Registers ts-node (when the project has it) so a TypeScript entry point runs as is, with
 * the project's own tsconfig.json: `tsc` and `pulumi up` see the same settings. Only a
 * module kind that emits ES modules (which `require` cannot load) is replaced by CommonJS.
 */
function registerTypeScript(programDir) {
  let tsNode;
  try {
    tsNode = requireFrom(programDir, "ts-node");
  } catch {
    return; // a JavaScript project needs none
  }
  let module;
  try {
    const ts = requireFrom(programDir, "typescript");
    const file = ts.findConfigFile(programDir, ts.sys.fileExists);
    if (file) {
      const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(file, ts.sys.readFile).config, ts.sys, path.dirname(file));
      module = parsed.options.module;
    }
  } catch {
    // no typescript of its own: ts-node brings the error
  }
  const compilerOptions = REQUIRABLE_MODULE_KINDS.has(module) ? {} : { module: "commonjs", moduleResolution: "node" };
  // Transpile only: type checking belongs to the build (`tsc`), and costs seconds per run.
  tsNode.register({ cwd: programDir, transpileOnly: true, compilerOptions });
}

/** The SDK's mark of an error whose message is all a user needs (it prints no stack for it). */
function asRunError(error) {
  if (error && typeof error === "object") Object.defineProperty(error, "__pulumiRunError", { value: true });
  return error;
}

/** Runs the entry point; its exports (or what its exported function returns) become stack outputs. */
async function runEntryPoint(request) {
  const info = request.getInfo();
  const programDir = (info && info.getProgramDirectory()) || request.getPwd() || process.cwd();
  const entry = (info && info.getEntryPoint()) || request.getProgram() || ".";
  process.chdir(request.getPwd() || programDir);
  registerTypeScript(programDir);
  let exported;
  try {
    exported = require(path.resolve(programDir, entry));
  } catch (error) {
    // ts-node's message is "Unable to compile TypeScript:" and the diagnostics after it.
    if (error && error.name === "TSError") {
      throw asRunError(new Error(`TypeScript: ${String(error.diagnosticText || error.message).trim()}`));
    }
    throw error;
  }
  if (exported && exported.__esModule && typeof exported.default === "function") exported = exported.default;
  if (typeof exported === "function") exported = await exported();
  // ovslab reports each resource refused at its declaration (log.error, once) and lets the
  // program go on. Such a run must fail here, before the SDK tells the engine the program
  // is done: a failure that comes after that signal the engine prints again, as an error
  // of its own ("BAIL: run bailed"). The SDK reports nothing more for a CANCELLED error.
  await new Promise((resolve) => setImmediate(resolve)); // the refusals' rejections are reported
  if (requireFrom(programDir, "@pulumi/pulumi/log").hasErrors()) {
    throw Object.assign(new Error("the program reported errors"), { code: CANCELLED });
  }
  return exported;
}

/** grpc's status CANCELLED. */
const CANCELLED = 1;

// What grpc-js needs to carry the engine's messages, as the SDK's own servers set it
// (@pulumi/pulumi runtime `grpcChannelOptions`); inlined so that starting the host does
// not load the whole SDK: the engine starts a language host twice per operation.
const GRPC_OPTIONS = { "grpc.max_receive_message_length": 400 * 1024 * 1024 };

function main() {
  const projectDir = process.cwd();
  const engineAddress = engineAddressFrom(process.argv.slice(2));
  // One SDK instance for host and program: the SDK keeps its run state in module globals.
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [projectDir] }));
  const grpc = requireFrom(sdkDir, "@grpc/grpc-js");
  const services = requireFrom(projectDir, "@pulumi/pulumi/proto/language_grpc_pb");
  const messages = requireFrom(projectDir, "@pulumi/pulumi/proto/language_pb");
  const plugins = requireFrom(projectDir, "@pulumi/pulumi/proto/plugin_pb");
  const sdkVersion = require(path.join(sdkDir, "package.json")).version;

  let request;
  let server;
  // Loaded on the first Run only: the other calls are answered without the SDK.
  const languageServer = () => {
    if (!server) {
      const { LanguageServer } = requireFrom(projectDir, "@pulumi/pulumi/automation/server");
      server = new LanguageServer(() => runEntryPoint(request));
    }
    return server;
  };
  const handlers = {
    getRequiredPlugins(_call, callback) {
      // Dynamic providers come with the SDK (pulumi-resource-pulumi-nodejs): nothing to install.
      const response = new messages.GetRequiredPluginsResponse();
      response.setPluginsList([]);
      callback(null, response);
    },
    getPluginInfo(_call, callback) {
      const info = new plugins.PluginInfo();
      info.setVersion(sdkVersion);
      callback(null, info);
    },
    // The SDK's server reads the engine address from RunRequest.args[0]; the engine passes
    // it on our command line instead, so hand it over.
    run(call, callback) {
      request = call.request;
      request.setArgsList([engineAddress, ...request.getArgsList()]);
      // The SDK's server logs each error as it happens and then fails the run repeating
      // them all; answer "bail" instead (as the official host does), so each shows once.
      // Only when they were logged (else the run's error is all there is), and only once:
      // after a failure the SDK's server calls back a second time.
      let answered = false;
      return languageServer().run(call, (error, response) => {
        if (answered) return;
        answered = true;
        if (!error || !requireFrom(projectDir, "@pulumi/pulumi/log").hasErrors()) return callback(error, response);
        const bailed = new messages.RunResponse();
        bailed.setBail(true);
        callback(null, bailed);
      });
    },
    about(_call, callback) {
      const response = new messages.AboutResponse();
      response.setExecutable(process.execPath);
      response.setVersion(process.version);
      callback(null, response);
    },
    getProgramDependencies(_call, callback) {
      callback(null, new messages.GetProgramDependenciesResponse());
    },
  };

  const grpcServer = new grpc.Server(GRPC_OPTIONS);
  grpcServer.addService(services.LanguageRuntimeService, handlers);
  grpcServer.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
      console.error(`pulumi-language-nodejs: cannot listen on 127.0.0.1: ${err.message}`);
      process.exit(1);
    }
    // The engine reads the port from our first line of output.
    process.stdout.write(`${port}\n`);
  });
}

main();
