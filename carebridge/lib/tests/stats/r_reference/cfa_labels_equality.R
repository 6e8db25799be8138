# Issue 20, item 1: equality by shared labels, a numeric fix on a covariance, start() and the
# start-value shorthand '?'. Data: lavaan::HolzingerSwineford1939.
source("_header.R")
suppressPackageStartupMessages(library(lavaan))
model <- "
visual  =~ x1 + a*x2 + a*x3
textual =~ x4 + b*x5 + b*x6
speed   =~ x7 + start(1.2)*x8 + 1.1?x9
visual ~~ 0*speed
"
fit <- cfa(model, data = HolzingerSwineford1939)
summary(fit, fit.measures = TRUE, standardized = TRUE)
full_precision(fit)
