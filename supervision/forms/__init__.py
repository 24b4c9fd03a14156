"""Forms of the supervision pages, one module per part: projects, rounds, problems, voting, keyworks.

They check the shape of the input; the services check the rules.
"""
