using Genre.Cli;

return Cli.Main(args);
