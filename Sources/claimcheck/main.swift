import ClaimCheckCLI
ClaimCheckCommand.main()
