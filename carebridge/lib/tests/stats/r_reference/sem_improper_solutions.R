# Improper solutions and awkward starts: a latent correlation above 1 (lavaan warns that the
# covariance matrix of the latent variables is not positive definite) and a covariance fixed above
# what lavaan's start values allow (it warns, then fits). Data: lavaan::HolzingerSwineford1939.
source("_header.R")
suppressPackageStartupMessages(library(lavaan))
fit <- cfa("f =~ x1 + x2\ng =~ x3 + x4\nf ~~ g", data = HolzingerSwineford1939)
cat("\n== cor.lv\n"); print(lavInspect(fit, "cor.lv"), digits = 8)
full_precision(fit)
cat("\n\n######## f ~~ 1.5*g\n")
fit2 <- cfa("f =~ x1 + x2 + x3; g =~ x4 + x5; f ~~ 1.5*g", data = HolzingerSwineford1939)
full_precision(fit2)
print(warnings())
