// A flow on a bridge that nothing in the program declares: on an empty host it cannot go in.
const { Bridge, FlowRule } = require("ovslab");

const connection = { host: "192.0.2.1" };
new Bridge("br-ex", { connection });
new FlowRule("tunnel-rule", { connection, bridge: "br-tun", priority: 10, actions: "NORMAL" });
