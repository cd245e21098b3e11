/**
 * Ends jest's output with one plain line, "jest: N passed, N failed", that CI log readers understand
 * (jest's own "Tests: N passed, N total" is not in that form).
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
  }
}
module.exports = SummaryReporter;
