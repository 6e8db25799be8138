# Sourced by every reference script: prints the versions that produced the output below it, and
# helpers that print lavaan's numbers at full precision (its print methods round to 3 decimals).
options(width = 200)
cat("R:", R.version.string, "\n")
for (pkg in c("lavaan", "psych", "psychTools", "GPArotation")) {
  if (requireNamespace(pkg, quietly = TRUE)) cat(pkg, ":", as.character(packageVersion(pkg)), "\n")
}
cat("----\n")
FIT_MEASURES <- c("npar", "chisq", "df", "pvalue", "baseline.chisq", "baseline.df", "baseline.pvalue",
                  "cfi", "tli", "logl", "unrestricted.logl", "aic", "bic", "rmsea", "rmsea.ci.lower",
                  "rmsea.ci.upper", "rmsea.pvalue", "srmr")
full_precision <- function(fit) {
  cat("\n== fitMeasures (full precision)\n")
  print(unclass(lavaan::fitMeasures(fit, FIT_MEASURES)), digits = 10)
  cat("\n== parameterEstimates(standardized = TRUE) (full precision)\n")
  pe <- lavaan::parameterEstimates(fit, standardized = TRUE)
  class(pe) <- "data.frame"
  print(pe[, intersect(c("lhs", "op", "rhs", "label", "est", "se", "z", "pvalue", "std.all"), names(pe))],
        digits = 8)
  cat("\n")
}
fa_full_precision <- function(f) {
  cat("\n== loadings (pattern, full precision)\n")
  print(unclass(f$loadings), digits = 8)
  cat("\n== Phi\n")
  if (!is.null(f$Phi)) print(f$Phi, digits = 8) else cat("NULL (orthogonal)\n")
  cat("\n== communality / uniquenesses\n")
  print(rbind(h2 = f$communality, u2 = f$uniquenesses), digits = 8)
  cat("\n== fit\n")
  print(c(objective = f$objective, STATISTIC = f$STATISTIC, dof = f$dof, PVAL = f$PVAL,
          null.chisq = f$null.chisq, null.dof = f$null.dof, TLI = f$TLI, f$RMSEA, rms = f$rms),
        digits = 10)
}
