mod examples;
mod foreign;
mod hostile;
mod round_trip;
