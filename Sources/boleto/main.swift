import BoletoCLI

BoletoMain.runBatchCommand()
BoletoMain.prepareExecutor()
await BoletoMain.run()
