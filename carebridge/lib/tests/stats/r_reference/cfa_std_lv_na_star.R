# Issue 20, item 1: the std.lv form of the Holzinger-Swineford CFA written with NA* (free the first
# loading) and 1* (fix the latent variance). Data: lavaan::HolzingerSwineford1939.
source("_header.R")
suppressPackageStartupMessages(library(lavaan))
model <- "visual =~ NA*x1 + x2 + x3; textual =~ NA*x4 + x5 + x6; speed =~ NA*x7 + x8 + x9; visual ~~ 1*visual; textual ~~ 1*textual; speed ~~ 1*speed"
fit <- cfa(model, data = HolzingerSwineford1939)
summary(fit, fit.measures = TRUE, standardized = TRUE)
full_precision(fit)
