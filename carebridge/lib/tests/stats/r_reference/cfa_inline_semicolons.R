# Issue 20, item 3: the 3-factor Holzinger-Swineford CFA written on one line with ';' (as given to
# --model inline). Data: lavaan::HolzingerSwineford1939.
source("_header.R")
suppressPackageStartupMessages(library(lavaan))
model <- "visual =~ x1 + x2 + x3; textual =~ x4 + x5 + x6; speed =~ x7 + x8 + x9"
fit <- cfa(model, data = HolzingerSwineford1939)
summary(fit, fit.measures = TRUE, standardized = TRUE)
full_precision(fit)
