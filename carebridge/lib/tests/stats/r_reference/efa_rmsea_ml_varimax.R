# Issue 20, items 5 and 7: psych's RMSEA, sqrt(max(chi2/(df*N) - 1/(N-1), 0)), and its factor
# labels, on Holzinger-Swineford x1-x9, fm = "ml", rotate = "varimax", 3 factors.
# Data: lavaan::HolzingerSwineford1939.
source("_header.R")
suppressPackageStartupMessages({library(psych); library(lavaan)})
items <- HolzingerSwineford1939[, paste0("x", 1:9)]
f <- fa(items, nfactors = 3, fm = "ml", rotate = "varimax")
print(f, digits = 4)
fa_full_precision(f)
