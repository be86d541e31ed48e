using Genre.Cli;

return Cli.Run(args);
