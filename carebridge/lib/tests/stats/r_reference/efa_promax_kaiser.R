# Issue 20, item 4: psych's rotate = "promax" (Kaiser-normalised Promax, psych::kaiser) against
# rotate = "Promax" (psych::Promax, not normalised), bfi C1-C5 and O1-O5, 2 factors, minres.
# Data: psychTools::bfi (the same values as the shared psych_bfi.csv).
source("_header.R")
suppressPackageStartupMessages({library(psych); library(psychTools)})
items <- bfi[, c(paste0("C", 1:5), paste0("O", 1:5))]
f <- fa(items, nfactors = 2, rotate = "promax")
print(f, digits = 3)
fa_full_precision(f)
cat("\n\n######## rotate = \"Promax\" (no Kaiser normalisation)\n")
g <- fa(items, nfactors = 2, rotate = "Promax")
print(g, digits = 3)
fa_full_precision(g)
