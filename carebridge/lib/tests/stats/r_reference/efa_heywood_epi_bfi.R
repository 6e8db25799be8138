# Issue 20, items 6 and 7: a Heywood case (a uniqueness at psych's lower bound .005) on
# psychTools::epi.bfi, fm = "ml", 3 factors (default oblimin); also the factor labels ML3 ML1 ML2.
# The data are exported beside this script as epi_bfi.csv (231 x 13, psychTools 2.2.9, GPL-2/3:
# data from Revelle's EPI-BFI study, cited in psychTools::epi.bfi).
source("_header.R")
suppressPackageStartupMessages({library(psych); library(psychTools)})
write.csv(epi.bfi, "epi_bfi.csv", row.names = FALSE)
f <- fa(epi.bfi, nfactors = 3, fm = "ml")
print(f, digits = 4)
fa_full_precision(f)
cat("\nwarnings():\n"); print(warnings())
