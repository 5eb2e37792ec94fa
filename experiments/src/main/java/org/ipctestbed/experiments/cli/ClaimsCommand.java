package org.ipctestbed.experiments.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ipctestbed.experiments.claims.ClaimResult;
import org.ipctestbed.experiments.claims.ClaimsReport;
import org.ipctestbed.experiments.results.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code testbed claims [RESULTS_DIR]}: recomputes results/claims/ from the experiment folders already there. */
@Command(name = "claims", mixinStandardHelpOptions = true,
    description = {"Recomputes the verdicts on the two designs' claims from existing result folders into RESULTS_DIR/claims/",
        "(README.md, claims.csv, claims.json, figures). ./testbed reproduce does this at its end.",
        "A claim whose experiment folder is missing is reported as not run."})
final class ClaimsCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "RESULTS_DIR", description = "results root (default: results/ of the testbed)")
  Path root;

  @Override
  public Integer call() {
    Path r = root != null ? root : Environment.home().resolve("results");
    if (!Files.isDirectory(r)) {
      CliContext.err().println("testbed: claims: " + r + " is not a folder; give a results root written by ./testbed reproduce");
      return 2;
    }
    List<ClaimResult> claims;
    try {
      claims = ClaimsReport.write(r);
    } catch (IllegalArgumentException e) {
      CliContext.err().println("testbed: claims: " + e.getMessage());
      return 2;
    }
    for (ClaimResult c : claims) {
      CliContext.out().println(c.number() + ". " + c.title() + ": " + c.verdict().label());
    }
    CliContext.out().println("testbed: claims: " + r.resolve(ClaimsReport.FOLDER).resolve("README.md"));
    return 0;
  }
}
