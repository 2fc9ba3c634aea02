// Throwaway lab hosts ("VMs") for tests, benchmarks and the demo.
export { startLabHost } from "./host";
export type { ExecResult, LabConnection, LabHost, LabHostOptions } from "./host";
