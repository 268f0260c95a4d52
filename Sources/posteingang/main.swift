print("posteingang")
