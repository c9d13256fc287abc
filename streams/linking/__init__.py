"""Story linking: which story does an item belong to, and what does it change there. Pure core."""
