# Issue #14: direct age/sex standardisation (epitools::ageadjust.direct, Fay-Feuer gamma interval), the
# indirect ratio with its exact Poisson interval (poisson.test), McNemar and prop.test, on the built
# example of carebridge/lib/tests/stats/test_standardise.py. Rscript standardise.R > standardise.txt
options(width = 200, digits = 10)
cat("R:", R.version.string, "\n")
cat("epitools :", as.character(packageVersion("epitools")), "\n----\n")
library(epitools)
cat("== ageadjust.direct\n")
print(ageadjust.direct(count = c(6, 9, 2, 3), pop = c(60, 30, 10, 5), stdpop = c(4000, 2500, 4000, 2500)))
cat("== poisson.test(3, 7.5): conf.int, p.value\n")
r <- poisson.test(3, 7.5); print(as.numeric(r$conf.int)); print(r$p.value)
cat("== poisson.test(0, 2): conf.int\n")
print(as.numeric(poisson.test(0, 2)$conf.int))
cat("== mcnemar.test(matrix(c(794, 86, 150, 570), nrow = 2)): statistic, p.value\n")
r <- mcnemar.test(matrix(c(794, 86, 150, 570), nrow = 2)); print(unname(r$statistic)); print(r$p.value)
cat("== prop.test(c(30, 18), c(100, 100)): statistic, p.value\n")
r <- prop.test(c(30, 18), c(100, 100)); print(unname(r$statistic)); print(r$p.value)
