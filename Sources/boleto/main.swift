import BoletoCLI

await BoletoMain.run()
