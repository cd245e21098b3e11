const { Testing } = require("cdktf");

// cdktf is loaded once per worker, outside the test's context (scripts/jest-shared-runtime.cjs), which also
// skips its token-creation stack traces there.
Testing.setupJest();
