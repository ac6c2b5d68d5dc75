"""Fitting (riskmodel.fit) and measuring (riskmodel.evaluate) the no-show risk model; numpy only."""
