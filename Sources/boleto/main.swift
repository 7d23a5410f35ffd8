import BoletoCLI

BoletoMain.prepareExecutor()
await BoletoMain.run()
