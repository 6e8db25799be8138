# Issue 20, item 2: a MIMIC model with observed exogenous predictors (lavaan's default fixed.x = TRUE).
# Data: lavaan::PoliticalDemocracy.
source("_header.R")
suppressPackageStartupMessages(library(lavaan))
model <- "dem60 =~ y1 + y2 + y3 + y4; dem60 ~ x1 + x2"
fit <- sem(model, data = PoliticalDemocracy)
summary(fit, fit.measures = TRUE, standardized = TRUE)
full_precision(fit)
