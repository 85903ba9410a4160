return StorageHa.NodeHelper.Cli.Run(args);
