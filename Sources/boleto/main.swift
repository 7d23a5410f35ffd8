import BoletoCLI

BoletoCommand.main()
