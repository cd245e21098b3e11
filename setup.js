const { Testing } = require("cdktf");
const { skipTokenCreationTraces } = require("./scripts/lib/token-traces.cjs");

Testing.setupJest();
// The test context has its own Error class: cdktf's token traces are taken with it.
skipTokenCreationTraces(Error);
