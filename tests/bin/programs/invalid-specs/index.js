// Two resources whose specs are invalid but depend on another resource's output, so the
// SDK cannot check them up front: the provider's check reports every problem, per resource.
// (JavaScript: these broken programs stay out of the package's type-checked build.)
const { Bridge, FlowRule } = require("ovslab");

const connection = { host: "192.0.2.1" };
const br = new Bridge("br-ex", { connection });
new Bridge("br-bad", { connection, name: br.name.apply(() => "br-bad"), ports: [{ name: "p1", tag: 5000 }] });
new FlowRule("bad-rule", { connection, bridge: br.name, priority: 70000, actions: "frobnicate:1" });
