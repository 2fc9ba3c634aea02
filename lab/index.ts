// Throwaway lab hosts ("VMs") for tests, benchmarks and the demo.
export { startLabHost } from "./host";
export { startLabHosts, PHYSICAL_BRIDGE } from "./multihost";
export type { MultiHostLab, LabHostsOptions } from "./multihost";
export type { ExecResult, LabConnection, LabHost, LabHostOptions } from "./host";
